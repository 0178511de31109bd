# domain-core top-level Makefile.
#
#   make demo    build everything, boot a Debian kernel in QEMU with
#                domain_core loaded, and show its status
#   make check   run every test: unit tests, then the VM tests on each
#                kernel of the matrix (KERNELS="5.10 6.1 6.12 7.x")
#
# DKMS uses dkms-build / dkms-clean; packaging and the VM harness install
# the DKMS source tree with dkms-tree.

KERNELS ?= 5.10 6.1 6.12 7.x
KDIR ?= /lib/modules/$(shell uname -r)/build
DKMS_FILES := dkms.conf Makefile src domains
export KERNELS

.PHONY: all check demo unit deps dkms-build dkms-clean dkms-tree clean

all: unit

check:
	@tests/run

demo:
	@tests/vm/run --demo

unit:
	@$(MAKE) -s -C tests/unit run

deps:
	@scripts/install-deps

# The module for kernel $(KDIR), and the domain images (kernel independent,
# but built with the module so DKMS installs matching ones for each kernel).
# Where DKMS signs modules (scripts/dkms-signing), its certificate is built
# into the module and the images are signed with its key, so that the one
# key the user enrols covers both.
dkms-build:
	rm -f src/domain-signing.x509
	@set -- $$(scripts/dkms-signing "$(KVER)" "$(KDIR)"); \
	if [ $$# = 4 ]; then \
		echo "domain-core: signing with $$1 (certificate $$2, built into the module)"; \
		if [ "$$(head -c 5 "$$2")" = "-----" ]; then \
			openssl x509 -in "$$2" -outform DER -out src/domain-signing.x509; \
		else \
			cp "$$2" src/domain-signing.x509; \
		fi || exit 1; \
	fi; \
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules && $(MAKE) -C domains || exit 1; \
	if [ $$# = 4 ]; then \
		for f in domains/out/*.dom; do "$$3" "$$4" "$$1" "$$2" "$$f" || exit 1; done; \
	fi

dkms-clean:
	rm -f src/domain-signing.x509
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src clean
	$(MAKE) -C domains clean

# Copy exactly what DKMS needs into $(DESTDIR) (e.g. /usr/src/domain-core-VER):
# the sources (no build products) and the DKMS hooks of dkms.conf.
dkms-tree:
	@test -n "$(DESTDIR)" || { echo "dkms-tree: set DESTDIR" >&2; exit 2; }
	mkdir -p $(DESTDIR)/scripts
	tar -cf - --exclude-vcs --exclude='*.o' --exclude='*.ko' --exclude='*.a' --exclude='*.d' \
		--exclude='*.dom' --exclude='*.mod' --exclude='*.mod.c' --exclude='*.cmd' \
		--exclude=Module.symvers --exclude=modules.order --exclude=.tmp_versions \
		--exclude=domains/out --exclude=domains/sdk/tools/dc-check-image \
		--exclude=domains/sdk/tools/dc-unsign \
		$(DKMS_FILES) | tar -xf - -C $(DESTDIR)
	cp scripts/postbuild scripts/postinst scripts/postrm scripts/dkms-signing scripts/dkms-images \
		$(DESTDIR)/scripts/

clean:
	rm -rf build
	$(MAKE) -s -C tests/unit clean
