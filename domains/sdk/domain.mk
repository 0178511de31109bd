# SPDX-License-Identifier: GPL-2.0
#
# Build rules for one domain.  A domain directory holds one C file and a
# Makefile such as
#
#	include ../sdk/domain.mk			(in the source tree)
#	include /usr/share/domain-core/domain.mk	(against the installed
#							 SDK, domain-core-dev)
#
# which builds DIR.dom from DIR.c (DIR being the directory's name).  Both
# are these rules; the installed domain.mk only says where the installed
# parts are (headers, libdomain, the tools) before including this file.
# Optional, before the include:
#
#	DOMAIN := name			build name.dom from name.c
#	DOMAIN_VARIANTS := name-v2:V2	also build name-v2.dom from the same
#					source with -DV2 (several words
#					allowed; NAME:DEF1,DEF2 for more -D)
#	DOMAIN_CFLAGS := ...		extra compiler flags
#	DOMAIN_UNCONFINED := 1		build without the store checks (the
#					TCB then loads it only with
#					confine=off); a variant whose defines
#					include DOM_UNCONFINED is built so too
#
# Every image is checked after linking: sdk/tools/dc-check-image applies
# the TCB loader's own rules (src/loader/elf_image.c), so the build fails
# on exactly what the loader would refuse, each problem named by its rule;
# sdk/lint-image.sh then checks how the code was compiled (endbr64 at the
# entry, no FPU/SSE, inline thunks, no PLT).
#
#	make sign KEY=path CERT=path [HASH=sha256] [SIGN_FILE=path]
#
# signs every image with the kernel's scripts/sign-file, in the format
# modules are signed in (docs/writing-a-domain.md, "Signing").  KEY is the
# private key (PEM, or a pkcs11: URI), CERT its X.509 certificate (PEM or
# DER); relative paths are taken from the domain's directory.  SIGN_FILE
# defaults to the newest /usr/lib/linux-kbuild-*/scripts/sign-file, else
# the running kernel's /lib/modules/$(uname -r)/build/scripts/sign-file.
# An image that is already signed has its signature removed first
# (sdk/tools/dc-unsign), so signing again replaces it.
#
#	make dkms-build KVER=release KDIR=headers	make dkms-clean
#
# for a domain shipped as a DKMS package of its own (dkms.conf: MAKE[0]
# and CLEAN): builds the images, signs them with the key DKMS signs
# modules with, if it does (the lookup of scripts/dkms-signing, as
# domain-core's own build does), and builds DOMAIN_DKMS_MODULE.ko
# (default DOMAIN_domain) in dkms-module/, a kernel module that does
# nothing: DKMS before 3.2 (bookworm's 3.0) refuses to install a package
# that builds no module.  See docs/writing-a-domain.md, "Shipping a domain
# with DKMS".

include $(dir $(lastword $(MAKEFILE_LIST)))flags.mk

DOMAIN ?= $(notdir $(CURDIR))
DOMAIN_SRC ?= $(DOMAIN).c

comma := ,
dom_vname = $(word 1,$(subst :, ,$(1)))
dom_vdefs = $(addprefix -D,$(subst $(comma), ,$(word 2,$(subst :, ,$(1)))))

DOM_NAMES := $(DOMAIN) $(foreach v,$(DOMAIN_VARIANTS),$(call dom_vname,$(v)))
DOM_IMAGES := $(addsuffix .dom,$(DOM_NAMES))

.PHONY: all clean sign FORCE
all: $(DOM_IMAGES)

# $(1): image name, $(2): its -D flags.  Link into a temporary file and
# rename only after the check passed, so a bad image never looks built.
define dom_image
$(1).o: $(DOMAIN_SRC) $(DOM_SDK)/flags.mk
	$$(call dom_quiet,CC,$$@)
	$$(Q)$$(CC) $$(if $$(DOMAIN_UNCONFINED)$$(findstring -DDOM_UNCONFINED,$(2)),$$(DOM_CFLAGS_BASE),$$(DOM_CFLAGS)) \
		$$(DOMAIN_CFLAGS) $(2) -MMD -MP -c $$< -o $$@

$(1).dom: $(1).o $(DOM_LIB) $(DOM_LDS) $(DOM_CHECK) $(DOM_LINT)
	$$(call dom_quiet,LD,$$@)
	$$(Q)$$(LD) $$(DOM_LDFLAGS) -o $$@.tmp $(1).o $(DOM_LIB) 2>$$@.err || \
		{ cat $$@.err >&2; sh $(DOM_EXPLAIN_LINK) $$@.err $$@; \
		  rm -f $$@.err $$@.tmp; false; }
	$$(Q)cat $$@.err >&2; rm -f $$@.err
	$$(call dom_quiet,CHECK,$$@)
	$$(Q)$(DOM_CHECK) $$@.tmp $$@ && sh $(DOM_LINT) $$@.tmp $$@ || \
		{ rm -f $$@.tmp; false; }
	$$(Q)mv -f $$@.tmp $$@
endef

$(foreach v,$(DOMAIN) $(DOMAIN_VARIANTS),\
	$(eval $(call dom_image,$(call dom_vname,$(v)),$(call dom_vdefs,$(v)))))

HASH ?= sha256
# Looked for only when "make sign" runs.
SIGN_FILE ?= $(firstword \
	$(shell ls -d /usr/lib/linux-kbuild-*/scripts/sign-file 2>/dev/null | sort -rV) \
	$(wildcard /lib/modules/$(shell uname -r)/build/scripts/sign-file))

dom_sign_fail = { echo "make sign: $(1)" >&2; exit 2; }

sign: $(DOM_IMAGES) $(DOM_UNSIGN)
	$(Q)test -n "$(KEY)" && test -n "$(CERT)" || \
		$(call dom_sign_fail,set KEY=FILE (the private key: PEM or a pkcs11: URI) and CERT=FILE (its X.509 certificate: PEM or DER))
	$(Q)case "$(KEY)" in pkcs11:*) ;; *) test -r "$(KEY)" || \
		$(call dom_sign_fail,KEY $(KEY): no such file or not readable);; esac
	$(Q)test -r "$(CERT)" || $(call dom_sign_fail,CERT $(CERT): no such file or not readable)
	$(Q)test -n "$(SIGN_FILE)" || \
		$(call dom_sign_fail,no sign-file in /usr/lib/linux-kbuild-*/scripts/ or /lib/modules/$(shell uname -r)/build/scripts/ (install linux-kbuild-VERSION or the kernel headers$(comma) or set SIGN_FILE=PATH))
	$(Q)test -x "$(SIGN_FILE)" || $(call dom_sign_fail,SIGN_FILE $(SIGN_FILE): not an executable file)
	$(Q)for img in $(DOM_IMAGES); do \
		$(if $(Q),printf '  %-7s %s\n' SIGN "$$img";) \
		$(DOM_UNSIGN) "$$img" && \
		"$(SIGN_FILE)" "$(HASH)" "$(KEY)" "$(CERT)" "$$img" || \
		{ echo "make sign: $$img: signing failed" >&2; exit 1; }; \
	done

# DKMS: the images, signed where DKMS signs, and the placeholder module.
DOMAIN_DKMS_MODULE ?= $(subst -,_,$(DOMAIN))_domain
DOM_DKMS_PLACEHOLDER ?= $(DOM_SDK)/dkms-placeholder.c

.PHONY: dkms-build dkms-clean
dkms-build: $(DOM_IMAGES) $(DOM_UNSIGN)
	$(Q)test -n "$(KVER)" && test -n "$(KDIR)" || \
		{ echo "make dkms-build: set KVER=<kernel release> and KDIR=<its headers> (dkms.conf: KVER=$${kernelver} KDIR=$${kernel_source_dir})" >&2; exit 2; }
	$(Q)mkdir -p dkms-module
	$(Q)echo 'obj-m := $(DOMAIN_DKMS_MODULE).o' >dkms-module/Kbuild
	$(Q)cp $(DOM_DKMS_PLACEHOLDER) dkms-module/$(DOMAIN_DKMS_MODULE).c
	$(MAKE) -C $(KDIR) M=$(CURDIR)/dkms-module modules
	$(Q)set -- $$($(DOM_DKMS_SIGNING) "$(KVER)" "$(KDIR)"); \
	if [ $$# = 4 ]; then \
		echo "$(DOMAIN): signing the images with $$1 (certificate $$2), as DKMS signs modules"; \
		for img in $(DOM_IMAGES); do \
			$(DOM_UNSIGN) "$$img" && "$$3" "$$4" "$$1" "$$2" "$$img" || \
			{ echo "make dkms-build: $$img: signing failed" >&2; exit 1; }; \
		done; \
	else \
		echo "$(DOMAIN): DKMS does not sign modules here (no key or no sign-file): images left unsigned"; \
	fi

dkms-clean: clean
	rm -rf dkms-module

# Built by the SDK's Makefile (a no-op when up to date); the installed SDK
# has them built.
ifndef DOM_PREBUILT
$(DOM_LIB) $(DOM_CHECK) $(DOM_UNSIGN): FORCE
	@$(MAKE) $(if $(Q),-s) --no-print-directory -C $(DOM_SDK) $@
endif

clean:
	rm -f $(DOM_IMAGES) $(addsuffix .dom.tmp,$(DOM_NAMES)) \
		$(addsuffix .dom.err,$(DOM_NAMES)) \
		$(addsuffix .o,$(DOM_NAMES)) $(addsuffix .d,$(DOM_NAMES))

-include $(addsuffix .d,$(DOM_NAMES))
