"""Service analysis: how far people live from everyday service, straight-line and along the roads."""
