"""Real-name verification plugin point (实名核验): ``base.py`` + registry + ``contrib/<provider>/``."""
