"""The database: engine and sessions, the models, and the migrations (`pintu db upgrade`)."""
