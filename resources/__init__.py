"""Icons and branding, shipped inside the package as zinc_desktop.resources."""
