package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"critreg/discovery"
)

// listFingerprints answers the fingerprint rules, enabled or not, in the order they apply.
func (h *discoveryHandlers) listFingerprints(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	rs, err := h.svc.FingerprintRules(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rs, 0))
}

func (h *discoveryHandlers) getFingerprint(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	r, err := h.svc.FingerprintRule(c.Request().Context(), a, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// createFingerprint adds a rule; one sent without "enabled" is enabled.
func (h *discoveryHandlers) createFingerprint(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	in := discovery.FingerprintRuleInput{Enabled: true}
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.AddFingerprintRule(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

// updateFingerprint changes a rule; fields not sent keep their value, so {"enabled": false}
// disables it.
func (h *discoveryHandlers) updateFingerprint(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := person(c)
	if err != nil {
		return err
	}
	r, err := h.svc.FingerprintRule(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	in := r.Input()
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	if r, err = h.svc.UpdateFingerprintRule(ctx, a, r.ID, in); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// tryFingerprints shows which rules match a device description and what they assign.
func (h *discoveryHandlers) tryFingerprints(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	var in discovery.FingerprintTrial
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	res, err := h.svc.TryFingerprintRules(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
