"""RFC 7518 - JSON Web Algorithms: the registry and one module per algorithm family."""
