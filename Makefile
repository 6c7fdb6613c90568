# The two commands a newcomer needs: `make demo` and `make test`.
SWIFT ?= swift
DEMO_DIR ?= energy-demo

.PHONY: demo test check-deploy bench build release deps clean format lint fuzz

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product energy

release: deps
	$(SWIFT) build -c release --product energy

## The main job on the embedded store: a 50-member community, last month, allocation, rollups, summary.
demo: build
	.build/debug/energy demo $(DEMO_DIR)

## The deployment files checked offline (kustomize + strict schemas, yamllint, hadolint, promtool),
## then the check's self-test: deliberately broken copies must each fail it. About a minute.
check-deploy:
	scripts/check-deploy.sh
	scripts/check-deploy.sh --self-test

## The whole test suite, with the test servers it needs (started here, stopped after), and check-deploy.
## The API suite runs in a process of its own: its in-process servers answer on Swift's cooperative
## threads (two on two cores), which the other suites' long synchronous tests would otherwise hold.
test:
	@scripts/install-deps.sh test
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory check-deploy
	$(SWIFT) build --build-tests
	@scripts/test-services.sh start
	export ENERGY_TEST_MONGODB_URI="mongodb://127.0.0.1:$${ENERGY_TEST_MONGODB_PORT:-27217}/?directConnection=true" \
	ENERGY_TEST_MONGODB_ISOLATED_URI="mongodb://127.0.0.1:$${ENERGY_TEST_MONGODB_ISOLATED_PORT:-27218}/?directConnection=true" \
	ENERGY_TEST_MONGODB_AUTH_URI="mongodb://energy:energy-test@127.0.0.1:$${ENERGY_TEST_MONGODB_AUTH_PORT:-27219}/energy_auth?directConnection=true&authSource=admin" \
	ENERGY_TEST_AMQP_URI="amqp://energy:energy-test@127.0.0.1:$${ENERGY_TEST_AMQP_PORT:-5672}"; \
	  $(SWIFT) test --skip EnergyAPITests && $(SWIFT) test --filter EnergyAPITests; status=$$?; scripts/test-services.sh stop; exit $$status

## Benchmarks (release build), embedded store, MongoDB test server and the live path through RabbitMQ; figures go to BENCHMARKS.md.
bench:
	@scripts/install-deps.sh bench
	$(SWIFT) build -c release --product energy
	$(SWIFT) build -c release --product EnergyBench
	@scripts/test-services.sh start
	.build/release/EnergyBench --energy .build/release/energy --out BENCHMARKS.md \
	  --mongodb "mongodb://127.0.0.1:$${ENERGY_TEST_MONGODB_PORT:-27217}/?directConnection=true" \
	  --amqp "amqp://energy:energy-test@127.0.0.1:$${ENERGY_TEST_AMQP_PORT:-5672}/energy-test-1"; \
	  status=$$?; scripts/test-services.sh stop; exit $$status

## The parsers' fuzz targets, long: a million mutated inputs each (make test runs 20,000 or fewer).
## A crashing input is left in Tests/fuzz-crashes/NAME.current.
fuzz:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	ENERGY_FUZZ_INPUTS=$${ENERGY_FUZZ_INPUTS:-1000000} $(SWIFT) test --skip-build --filter 'Fuzz'

## Code style: .swift-format (the Swift server projects' style, 140 columns). `make format` fixes what lint reports.
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Benchmarks

clean:
	rm -rf .build $(DEMO_DIR)
