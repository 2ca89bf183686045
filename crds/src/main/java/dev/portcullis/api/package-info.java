/** The Portcullis API: resource types, validation and the snapshot resolver. */
package dev.portcullis.api;
