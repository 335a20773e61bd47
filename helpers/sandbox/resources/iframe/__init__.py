"""The iframe SDK (checkout host): its script and the fields and buttons it frames."""
