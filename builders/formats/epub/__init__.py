"""The e-book's parts: content files, page list, cover, metadata and the OCF zip."""
