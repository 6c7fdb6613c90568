# The two commands a newcomer needs: `make demo` and `make test`.
SWIFT ?= swift
DEMO_DIR ?= energy-demo

.PHONY: demo test bench build release deps clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product energy

release: deps
	$(SWIFT) build -c release --product energy

## The main job on the embedded store: a 50-member community, last month, allocation, rollups, summary.
demo: build
	.build/debug/energy demo $(DEMO_DIR)

## The whole test suite, with the test servers it needs (started here, stopped after).
test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	@scripts/test-services.sh start
	ENERGY_TEST_MONGODB_URI="mongodb://127.0.0.1:$${ENERGY_TEST_MONGODB_PORT:-27217}/?directConnection=true" \
	  $(SWIFT) test; status=$$?; scripts/test-services.sh stop; exit $$status

## Benchmarks (release build); figures go to BENCHMARKS.md.
bench: deps
	$(SWIFT) build -c release --product energy
	$(SWIFT) build -c release --product EnergyBench
	.build/release/EnergyBench --energy .build/release/energy --out BENCHMARKS.md

clean:
	rm -rf .build $(DEMO_DIR)
