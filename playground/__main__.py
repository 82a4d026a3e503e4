from playground.cli import console_main

console_main()
