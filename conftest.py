# `pytest --nbval-lax notebooks` runs the stage notebooks with their default parameters; send
# their output to a temporary folder so a test run never overwrites a reviewer's output/.
import os
import tempfile

os.environ.setdefault("REVIEW_OUT_DIR", tempfile.mkdtemp(prefix="review-nbval-"))
