"""Regenerate monitoring/data/demo_observations.csv (synthetic demo figures) from the seed.

Usage: python -m data.samples.make_demo
"""

import tempfile

from monitoring.demo import DEMO_FILE, generate_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import create_schema, get_engine


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = get_engine(f"sqlite:///{folder}/seed.db")
        create_schema(engine)
        load_seed(engine)
        frame = generate_demo(store_snapshot(engine, actor="test"))
        engine.dispose()
    frame.to_csv(DEMO_FILE, index=False)
    print(f"{len(frame)} demo observations written to {DEMO_FILE}")


if __name__ == "__main__":
    main()
