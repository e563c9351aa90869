"""What the RQ worker test adds to the portal in its worker processes: a paced run of the real export job.

The complete export (``export.jobs``) is run exactly as the portal runs it,
through ``core.jobs`` and the RQ backend; the only addition is a pause after
each step of progress, so the test can kill a worker while the job is half
done, and an audit entry for each attempt, naming the process that made it.
"""
