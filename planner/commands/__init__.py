"""Extra CLI commands, one module per area: each module defines ``register(app)`` and is
discovered by ``planner.cli.register_cli``."""
