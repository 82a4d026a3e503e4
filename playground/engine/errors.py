"""The one exception type the engine raises for anything a user can fix."""


class PlaygroundError(Exception):
    """A problem with the user's input, files or machine, worded for the user.

    The CLI prints it as one line on stderr; the window shows it in a dialog or inline.
    """
