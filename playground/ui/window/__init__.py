"""The main window and its parts: menus, file and data actions, dialogs it opens."""
