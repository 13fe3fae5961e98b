"""The admin command line: `python main.py [--db PATH] <command>`."""
