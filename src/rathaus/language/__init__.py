"""Language for everyone: the easy-language checker (``easy_language``) today; translation,
speech output and the service assistant follow (issue 13)."""
