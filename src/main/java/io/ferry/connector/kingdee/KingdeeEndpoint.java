package io.ferry.connector.kingdee;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code kingdee:batchSave?formId=BD_Customer&autoSubmitAndAudit=true&verifyBaseDataField=false&numberField=FNumber}:
 * saves a batch of Model rows of one form, see {@link KingdeeBatchSaveProducer}.
 */
public class KingdeeEndpoint extends DefaultEndpoint {

    private final String operation;
    private String formId;
    private boolean autoSubmitAndAudit;
    private boolean verifyBaseDataField;
    private String numberField = "FNumber";
    private String idField;
    private int batchSize = 20;

    KingdeeEndpoint(String uri, KingdeeComponent component, String operation) {
        super(uri, component);
        this.operation = operation;
    }

    void validate() {
        if (!"batchSave".equalsIgnoreCase(operation)) {
            throw new IllegalArgumentException(getEndpointUri() + ": unknown operation '" + operation + "' (expected batchSave)");
        }
        if (formId == null || formId.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": the parameter 'formId' is required (e.g. BD_Customer)");
        }
        if (numberField == null || numberField.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": numberField must name the form's number field (e.g. FNumber)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(getEndpointUri() + ": batchSize must be at least 1");
        }
    }

    @Override
    public Producer createProducer() {
        return new KingdeeBatchSaveProducer(this, (KingdeeComponent) getComponent());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("kingdee: is a producer: use it as a sync route's sink");
    }

    /** The form's inner id field: FCUSTID for BD_Customer, FID for documents, unless idField says otherwise. */
    public String resolvedIdField() {
        if (idField != null && !idField.isBlank()) {
            return idField;
        }
        return "BD_Customer".equalsIgnoreCase(formId) ? "FCUSTID" : "FID";
    }

    public String getFormId() {
        return formId;
    }

    public void setFormId(String formId) {
        this.formId = formId;
    }

    public boolean isAutoSubmitAndAudit() {
        return autoSubmitAndAudit;
    }

    public void setAutoSubmitAndAudit(boolean autoSubmitAndAudit) {
        this.autoSubmitAndAudit = autoSubmitAndAudit;
    }

    public boolean isVerifyBaseDataField() {
        return verifyBaseDataField;
    }

    public void setVerifyBaseDataField(boolean verifyBaseDataField) {
        this.verifyBaseDataField = verifyBaseDataField;
    }

    public String getNumberField() {
        return numberField;
    }

    public void setNumberField(String numberField) {
        this.numberField = numberField;
    }

    public String getIdField() {
        return idField;
    }

    public void setIdField(String idField) {
        this.idField = idField;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
