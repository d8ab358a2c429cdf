"""The catalog as plain values: reach of channels to audiences (rekkevidde)."""
