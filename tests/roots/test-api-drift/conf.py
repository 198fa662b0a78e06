project = "Drift"
extensions = ["sphinx_techspec"]
techspec_openapi_compare = "implementation.yaml"
