"""Public operations of the accounts module, split by use case.

Other modules use: ``access_log.log_access``, ``assisted.current_representation``,
``privacy.register`` / ``DataSource`` / ``Retained``, ``sessions.recently_verified``;
and ``rathaus.accounts.policy`` and ``rathaus.accounts.decorators`` for permissions
and step-up.
"""
