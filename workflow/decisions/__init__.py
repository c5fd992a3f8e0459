"""The people's decisions of steps 3-4 and their papers: BAP, Pertimbangan Teknis, the permit."""
