from haicap.cli import main

main()
