from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Generators and benchmarks (seed_scale, bench_rollup, the load test): installed only with DEBUG
    and in tests, never in production, so their commands do not exist there."""

    name = "devtools"
    verbose_name = "Developer tools"
