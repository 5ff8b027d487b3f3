"""Danish display helpers of the upload page."""

import pandas as pd

from monitoring.upload_views import CREATE_NEW_AREA, area_choices, local_time


def test_history_times_are_shown_in_danish_time():
    assert local_time("2026-11-23T21:01:05") == "23.11.2026 22:01"  # winter: UTC+1
    assert local_time("2026-07-01T10:00:00") == "01.07.2026 12:00"  # summer: UTC+2


def test_area_choices_start_with_creating_a_new_area():
    areas = pd.DataFrame(
        {
            "area_id": [3, 1],
            "area": ["Østerbro", "Guldborgsund Kommune"],
            "kind": ["boligomraade", "kommune"],
            "kommune": ["Guldborgsund Kommune", "Guldborgsund Kommune"],
        }
    )
    assert area_choices(areas) == {
        CREATE_NEW_AREA: None,
        "Guldborgsund Kommune (kommune)": 1,
        "Østerbro (boligområde, Guldborgsund Kommune)": 3,
    }
