"""``python -m textcls`` runs the command line."""

from .cli import entry

# Guarded: worker processes that multiprocessing spawns (e.g. dask LocalCluster) re-import
# the main module and must not run the command line again.
if __name__ == "__main__":
    entry()
