"""Where the data files that ship with the code live: monitoring/data/, inside the package.

Found through importlib.resources, so a checkout, an editable install and an installed wheel read
the same files. The package is installed as files (not zipped), so the location is a real path.
"""

from importlib.resources import files
from pathlib import Path

DATA_DIR = Path(str(files("monitoring").joinpath("data")))
