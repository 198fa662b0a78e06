extensions = ["sphinx_techspec"]
project = "design"
version = "1.2"
techspec_openapi = {"title": "Accounts API", "servers": ["https://api.example.com/v1"]}
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
