"""Domain errors: a translatable message (French source) and its parameters.

Messages are marked with :func:`N_` for extraction and translated by the caller
(web layer) with ``gettext(error.message, **error.params)``, so the domain never
needs a request or a locale.
"""


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional no-op marker
    """Mark ``message`` for translation extraction without translating it."""
    return message


class DomainError(Exception):
    """A rule of the domain was broken; nothing was changed."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class NotFound(DomainError):
    """The named object does not exist (or is not visible to the caller)."""


class WorkshopNotOpen(DomainError):
    """The workshop is a draft or is closed: it takes no participant or contribution."""


class Forbidden(DomainError):
    """The caller may not act on this object."""


class ValidationError(DomainError):
    """Invalid input; ``errors`` maps each field to its (untranslated) message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(N_("Certains champs sont invalides."))
        self.errors = errors
