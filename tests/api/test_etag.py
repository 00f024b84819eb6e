"""ETags: weak for a simulation's config, strong per coding for a file."""

from gradflow.api import etag


def test_a_config_etag_is_weak_and_follows_the_text():
    assert etag.config_etag("a").startswith('W/"') and etag.config_etag("a") == etag.config_etag("a")
    assert etag.config_etag("a") != etag.config_etag("b")


def test_a_file_etag_is_strong_and_differs_per_coding():
    plain, zipped = etag.file_etag("f-1", 10, gzipped=False), etag.file_etag("f-1", 10, gzipped=True)
    assert plain == '"f-1-10"' and zipped == '"f-1-10-gzip"'
