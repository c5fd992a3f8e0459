"""Steps 1-2 as Pintu receives them: the declared application data and the uploaded documents."""
