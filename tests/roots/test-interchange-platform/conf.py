"""The platform spec project: the hub links its items."""

extensions = ["sphinx_techspec"]
project = "platform"
html_baseurl = "https://platform.example.org/spec/"
