"""Celery: the app factory, the task bodies, the beat schedule, and the two ways jobs run."""
