"""Endpoints, models and error codes exported as ReqIF, to import back in their own syntax."""

extensions = ["sphinx_techspec"]
project = "reqif design"
techspec_export_reqif = True
techspec_auth_schemes = {
    "oauth2": {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {
                "tokenUrl": "https://auth.example.com/token",
                "scopes": {"users:read": "Read users", "users:write": "Change users"},
            }
        },
    }
}
