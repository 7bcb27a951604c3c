"""The public algorithm register: what the city's algorithms and software systems that affect
residents do, who answers for them, what data they use and must not use, how people oversee
them, and every change to a record in the transparency log (``docs/register.md``)."""
