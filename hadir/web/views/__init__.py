"""The staff web's views: thin shells over the services and selectors (one module per area)."""
