"""The tools built on the library: the CLI, bench, eval and the challenge kit, analysis,
folder executors and the synthetic data generator. They use the core's public API;
the core (``import n1codec``) never imports them."""
