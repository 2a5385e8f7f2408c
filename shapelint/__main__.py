from shapelint.cli import run

run()
