# SPDX-License-Identifier: GPL-2.0
#
# Build rules for one domain.  A domain directory holds one C file and a
# Makefile such as
#
#	include ../sdk/domain.mk
#
# which builds DIR.dom from DIR.c (DIR being the directory's name).
# Optional, before the include:
#
#	DOMAIN := name			build name.dom from name.c
#	DOMAIN_VARIANTS := name-v2:V2	also build name-v2.dom from the same
#					source with -DV2 (several words
#					allowed; NAME:DEF1,DEF2 for more -D)
#	DOMAIN_CFLAGS := ...		extra compiler flags
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
	$$(Q)$$(CC) $$(DOM_CFLAGS) $$(DOMAIN_CFLAGS) $(2) -MMD -MP -c $$< -o $$@

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

# Built by the SDK's Makefile (a no-op when up to date).
$(DOM_LIB) $(DOM_CHECK) $(DOM_UNSIGN): FORCE
	@$(MAKE) $(if $(Q),-s) --no-print-directory -C $(DOM_SDK) $@

clean:
	rm -f $(DOM_IMAGES) $(addsuffix .dom.tmp,$(DOM_NAMES)) \
		$(addsuffix .dom.err,$(DOM_NAMES)) \
		$(addsuffix .o,$(DOM_NAMES)) $(addsuffix .d,$(DOM_NAMES))

-include $(addsuffix .d,$(DOM_NAMES))
