"""The confirmation suite's fixed start: a second at import, as a project's conftest that starts a service or loads a
model would take, paid once by every start of pytest, the confirming runs' too."""

import time

time.sleep(1.0)
