# Two commands set everything up on a fresh machine: `make dev` runs the product, `make test`
# runs every test. Both install what they need on first run (see scripts/tools.sh).
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: tools dev test validate typecheck lint bench eval build clean

tools:
	@scripts/tools.sh

dev: tools
	@node --import tsx scripts/dev.ts

test: tools
	@npm run --silent validate

validate: test

typecheck: tools
	@npm run --silent typecheck

lint: tools
	@npm run --silent lint

bench: tools
	@npm run --silent bench

build: tools
	@npm run --silent web:build && npm run --silent bundle:workflows

clean:
	rm -rf build .react-router .data/test
