"""Exercise illustrations drawn from pose data (`content/poses/`) with Pillow.

poses.py     the pose file format, read and validated
figure.py    the articulated figure: angles and targets to points
canvas.py    a supersampled canvas in world units, and the palette
body.py      drawing the figure, its far side and the highlighted working part
feet.py      both feet from above (toe spread)
props.py     floor, mat, step, wall, chair, towel, ball, bottle, band, water, bike...
scene.py     the still (end pose over a ghosted start, with an arrow) and animation frames
renditions.py  WebP files at each RENDITIONS width, the build index, the contact sheet
lookup.py    the one place that turns an exercise slug into image URLs
"""
