import pytest
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from govhall.core import cache_versions


@pytest.mark.django_db
def test_a_bump_changes_the_version_and_the_key_does_not_expire():
    first = cache_versions.version("thing")
    cache_versions.bump("thing")
    assert cache_versions.version("thing") == first + 1
    if isinstance(cache, DatabaseCache):  # its incr re-stores with the default five-minute timeout
        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM govhall_cache WHERE cache_key LIKE %s", ["%version:thing"])
            (expires,) = cursor.fetchone()
        assert expires.year == 9999


@pytest.mark.django_db
def test_a_lost_key_never_goes_back_to_an_old_version():
    cache_versions.bump("thing")
    before = cache_versions.version("thing")
    cache.delete("version:thing")
    assert cache_versions.version("thing") > before
