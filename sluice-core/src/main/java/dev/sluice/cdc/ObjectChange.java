package dev.sluice.cdc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The payload of a change job: register handlers for the detector's kinds with this type.
 *
 * @param controller the detector's name
 * @param objectId the object
 * @param action what happened
 * @param content the object's content now (null for a delete)
 */
public record ObjectChange(String controller, String objectId, ChangeAction action, JsonNode content) {
}
