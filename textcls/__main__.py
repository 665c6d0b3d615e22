"""``python -m textcls`` runs the command line."""
from .cli import entry

entry()
