"""Reports: renderings of Results. They read results and never change them."""
