"""The årshjul: loading its data, rendering it as SVG and as its accessible list twin."""
