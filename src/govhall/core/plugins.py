"""A small plugin registry: ``base.py`` declares an ABC, ``contrib/<provider>/`` registers providers.

Modelled on Open Forms: each plugin point owns one ``Registry``; settings choose the provider by id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._plugins: dict[str, type[T]] = {}

    def register(self, identifier: str) -> Callable[[type[T]], type[T]]:
        def decorator(cls: type[T]) -> type[T]:
            if identifier in self._plugins:
                raise ImproperlyConfigured(f"{self.name}: plugin {identifier!r} is registered twice")
            cls.identifier = identifier  # type: ignore[attr-defined]
            self._plugins[identifier] = cls
            return cls

        return decorator

    def get(self, identifier: str) -> T:
        try:
            return self._plugins[identifier]()
        except KeyError:
            known = ", ".join(sorted(self._plugins)) or "none"
            raise ImproperlyConfigured(f"{self.name}: no plugin {identifier!r} (known: {known})") from None

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._plugins))

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._plugins
