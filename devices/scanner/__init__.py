"""QR scanners: camera, serial and keyboard-wedge, decoder backends, fake scanner."""
