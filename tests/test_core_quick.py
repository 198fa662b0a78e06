import pytest

from conftest import techspec_warnings


@pytest.mark.sphinx("html", testroot="basic")
def test_smoke(app):
    app.build()
    assert not techspec_warnings(app, "unknown_ref")
    html = (app.outdir / "requirements.html").read_text()
    assert "Verified by" in html
