"""The start-up check of what a transport optimisation needs from another library.

Each optimisation that relies on a library's private names (a name that is not part of
its documented API) declares them here, in a :class:`Check`: the library versions it was
written for, and each name it reads or overrides, with its shape (callable, parameters).
A missing name or a version outside the supported range is a *problem*: the optimisation
is not installed, an ERROR line names the library, its version and what is missing, and
the app keeps the library's documented path (slower, still correct). A version inside the
range but newer than the one the code was checked with is a *warning* only.
"""

from __future__ import annotations

import inspect
import logging
import re
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

logger = logging.getLogger("workshops.transport")


@dataclass(frozen=True)
class Supported:
    """A library's supported range (pyproject.toml's bounds) and the version checked with."""

    distribution: str
    minimum: str
    below: str
    checked_with: str


# The bounds repeat pyproject.toml's; ``checked_with`` is the minor series the guarded code
# and its tests were last run against (raise it after running tests/workshops/transport).
ENGINEIO = Supported("python-engineio", "4.9", "5", "4.15")
SOCKETIO = Supported("python-socketio", "5.11", "6", "5.18")
SIMPLE_WEBSOCKET = Supported("simple-websocket", "1.1", "2", "1.1")
GEVENT = Supported("gevent", "24.2", "27", "26.9")


def installed_version(distribution: str) -> str | None:
    """The installed version of ``distribution`` (None when it is not installed)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def version_tuple(version: str) -> tuple[int, ...]:
    """The leading numeric release of a version string: ``"4.15.1rc1"`` → ``(4, 15, 1)``."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in match.group().split(".")) if match else ()


@dataclass
class Check:
    """What one optimisation needs; problems turn it off, warnings are only logged."""

    feature: str
    fallback: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when nothing the optimisation needs is missing."""
        return not self.problems

    def version(self, supported: Supported) -> None:
        """The installed version is within ``supported`` (newer than checked: a warning)."""
        name = supported.distribution
        version = installed_version(name)
        if version is None:
            self.problems.append(f"{name} is not installed")
            return
        installed = version_tuple(version)
        if not version_tuple(supported.minimum) <= installed < version_tuple(supported.below):
            self.problems.append(f"{name} {version} is outside the supported range "
                                 f">={supported.minimum},<{supported.below}")
        elif installed[:2] > version_tuple(supported.checked_with)[:2]:
            self.warnings.append(f"{name} {version} is newer than {supported.checked_with}, "
                                 "the version this code was checked with")

    def attribute(self, owner: Any, name: str, *, parameters: tuple[str, ...] | None = None,
                  library: Supported | None = None) -> Any:
        """``owner.name`` if present (and callable with exactly these parameters), else None."""
        where = f"{_qualname(owner)}.{name}"
        value = getattr(owner, name, None)
        if value is None:
            self.problems.append(f"{_library(library)}has no {where}")
            return None
        if parameters is not None:
            if not callable(value):
                self.problems.append(f"{_library(library)}{where} is not callable")
                return None
            found = _parameters(value)
            if found is not None and found != parameters:  # an override must match exactly
                self.problems.append(f"{_library(library)}{where} takes {found}, "
                                     f"expected {parameters}")
                return None
        return value

    def instance_attributes(self, cls: type, names: tuple[str, ...], *,
                            methods: tuple[str, ...] = ("__init__",),
                            library: Supported | None = None) -> None:
        """``cls``'s ``methods`` (its own or inherited) name each attribute in ``names``.

        An instance attribute exists only once the method has run; its code, read without
        running it, says whether it still sets (or reads) that name.
        """
        used: set[str] = set()
        for klass in inspect.getmro(cls):
            for method in methods:
                code = getattr(klass.__dict__.get(method), "__code__", None)
                if code is not None:
                    used.update(code.co_names)
        for name in names:
            if name not in used:
                self.problems.append(f"{_library(library)}instances of {_qualname(cls)} "
                                     f"have no {name} attribute")

    def require(self, condition: bool, problem: str) -> bool:
        """Record ``problem`` unless ``condition`` holds."""
        if not condition:
            self.problems.append(problem)
        return condition

    def report(self) -> bool:
        """Log the outcome (an ERROR per problem, else a WARNING per warning); True if passed."""
        for problem in self.problems:
            logger.error("Transport self-check failed for %s: %s; using %s instead "
                         "(slower, same behaviour).", self.feature, problem, self.fallback)
        if self.passed:
            for warning in self.warnings:
                logger.warning("Transport self-check: %s; %s passed its checks and is "
                               "installed.", warning, self.feature)
        return self.passed


def _qualname(owner: Any) -> str:
    if inspect.ismodule(owner):
        return owner.__name__
    cls = owner if inspect.isclass(owner) else type(owner)
    return f"{cls.__module__}.{cls.__qualname__}"


def _library(library: Supported | None) -> str:
    if library is None:
        return ""
    return f"{library.distribution} {installed_version(library.distribution)} "


def _parameters(function: Any) -> tuple[str, ...] | None:
    """The names of ``function``'s parameters, ``self`` included (None if not inspectable)."""
    try:
        return tuple(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None
