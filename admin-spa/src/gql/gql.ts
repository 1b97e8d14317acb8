/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation ChangePassword($current: String!, $next: String!) {\n    changePassword(currentPassword: $current, newPassword: $next) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query Admins {\n    me {\n      id\n    }\n    admins {\n      id\n      email\n      createdAt\n    }\n    invitations {\n      id\n      email\n      expiresAt\n    }\n  }\n": typeof types.AdminsDocument,
    "\n  mutation InviteAdmin($email: String!) {\n    inviteAdmin(email: $email) {\n      code\n      invitation {\n        id\n        email\n        expiresAt\n      }\n    }\n  }\n": typeof types.InviteAdminDocument,
    "\n  mutation RemoveAdmin($id: ID!) {\n    removeAdmin(id: $id)\n  }\n": typeof types.RemoveAdminDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  query Invitation($code: String!) {\n    invitation(code: $code) {\n      email\n      expiresAt\n    }\n  }\n": typeof types.InvitationDocument,
    "\n  mutation AcceptInvitation($code: String!, $password: String!) {\n    acceptInvitation(code: $code, password: $password) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query UnreadLeadCount {\n    unreadLeadCount\n  }\n": typeof types.UnreadLeadCountDocument,
    "\n  mutation RenewSession {\n    renewSession {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n": typeof types.RenewSessionDocument,
    "\n  query AdminExists {\n    adminExists\n    setupCodeRequired\n  }\n": typeof types.AdminExistsDocument,
    "\n  mutation Login($email: String!, $password: String!, $device: String) {\n    login(email: $email, password: $password, device: $device) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation RegisterAdmin($email: String!, $password: String!, $setupCode: String) {\n    registerAdmin(email: $email, password: $password, setupCode: $setupCode) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n": typeof types.RegisterAdminDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  query Notifications($status: NotificationStatus) {\n    notificationChannels {\n      channel\n      configured\n      target\n    }\n    notificationDeliveries(first: 50, status: $status) {\n      id\n      channel\n      kind\n      status\n      leadId\n      attempts\n      lastError\n      lastErrorKind\n      nextAttemptAt\n      createdAt\n      sentAt\n    }\n  }\n": typeof types.NotificationsDocument,
    "\n  mutation SendTestNotification($channel: NotificationChannelKind!) {\n    sendTestNotification(channel: $channel) {\n      id\n      status\n    }\n  }\n": typeof types.SendTestNotificationDocument,
    "\n  mutation RetryNotification($id: ID!) {\n    retryNotification(id: $id) {\n      id\n      status\n      attempts\n    }\n  }\n": typeof types.RetryNotificationDocument,
    "\n  subscription LeadCreated {\n    leadCreated {\n      ...LeadRow\n    }\n  }\n": typeof types.LeadCreatedDocument,
    "\n  query LeadDetail($id: ID!) {\n    lead(id: $id) {\n      id\n      name\n      surname\n      patronymic\n      email\n      phone\n      serviceName\n      service {\n        id\n        name\n      }\n      businessInfo\n      businessNiche\n      companySize\n      budget\n      deadline\n      convenientTime\n      preferredContactMethod\n      additionalComments\n      score\n      priority\n      scoreBreakdown {\n        budget\n        companySize\n        urgency\n      }\n      scoreReasons {\n        budget {\n          ...Reason\n        }\n        companySize {\n          ...Reason\n        }\n        urgency {\n          ...Reason\n        }\n      }\n      requestNumber\n      unread\n      history {\n        id\n        fromStatus\n        toStatus\n        actorKind\n        actorName\n        at\n        lostReason\n      }\n      notes {\n        id\n        authorEmail\n        body\n        createdAt\n        editedAt\n      }\n      status\n      lostReason\n      firstResponseAt\n      consentAt\n      consentVersion\n      consentText\n      createdAt\n      behavior {\n        engagedSeconds\n        visitNumber\n        viewportClass\n        firstSeenAt\n        clicks {\n          element\n          count\n        }\n      }\n    }\n  }\n": typeof types.LeadDetailDocument,
    "\n  fragment Reason on ScoreReason {\n    points\n    max\n    kind\n    text\n    amount\n    days\n  }\n": typeof types.ReasonFragmentDoc,
    "\n  mutation MarkLeadOpened($id: ID!) {\n    markLeadOpened(id: $id) {\n      id\n      unread\n    }\n  }\n": typeof types.MarkLeadOpenedDocument,
    "\n  mutation AddLeadNote($id: ID!, $body: String!) {\n    addLeadNote(id: $id, body: $body) {\n      authorEmail\n      body\n      createdAt\n    }\n  }\n": typeof types.AddLeadNoteDocument,
    "\n  mutation EditLeadNote($id: ID!, $body: String!) {\n    editLeadNote(id: $id, body: $body) {\n      id\n      body\n      editedAt\n    }\n  }\n": typeof types.EditLeadNoteDocument,
    "\n  mutation DeleteLeadNote($id: ID!) {\n    deleteLeadNote(id: $id)\n  }\n": typeof types.DeleteLeadNoteDocument,
    "\n  mutation MarkLeadSpam($id: ID!, $spam: Boolean!) {\n    markLeadSpam(id: $id, spam: $spam) {\n      id\n      status\n    }\n  }\n": typeof types.MarkLeadSpamDocument,
    "\n  mutation DeleteLead($id: ID!) {\n    deleteLead(id: $id)\n  }\n": typeof types.DeleteLeadDocument,
    "\n  mutation UpdateLeadStatus(\n    $id: ID!\n    $status: LeadStatus!\n    $lostReason: String\n    $expectedStatus: LeadStatus\n    $expectedLostReason: String\n  ) {\n    updateLeadStatus(\n      id: $id\n      status: $status\n      lostReason: $lostReason\n      expectedStatus: $expectedStatus\n      expectedLostReason: $expectedLostReason\n    ) {\n      id\n      status\n      lostReason\n      firstResponseAt\n    }\n  }\n": typeof types.UpdateLeadStatusDocument,
    "\n  query Leads(\n    $first: Int!\n    $after: String\n    $filter: LeadFilter\n    $sort: LeadSortField\n    $direction: SortDirection\n  ) {\n    leads(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {\n      totalCount\n      totalCountIsExact\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...LeadRow\n        }\n      }\n    }\n  }\n": typeof types.LeadsDocument,
    "\n  query ServiceOptions {\n    services(includeHidden: true) {\n      id\n      name\n      hidden\n    }\n  }\n": typeof types.ServiceOptionsDocument,
    "\n  fragment LeadRow on Lead {\n    id\n    name\n    surname\n    patronymic\n    unread\n    score\n    priority\n    status\n    budget\n    deadline\n    serviceName\n    service {\n      id\n      name\n    }\n    createdAt\n  }\n": typeof types.LeadRowFragmentDoc,
    "\n  fragment ServiceFields on Service {\n    id\n    name\n    description\n    priceFrom\n    hidden\n    createdAt\n    updatedAt\n  }\n": typeof types.ServiceFieldsFragmentDoc,
    "\n  query Services {\n    services(includeHidden: true) {\n      ...ServiceFields\n    }\n  }\n": typeof types.ServicesDocument,
    "\n  query ServicesCurrency {\n    businessSettings {\n      currency\n    }\n  }\n": typeof types.ServicesCurrencyDocument,
    "\n  subscription ServicesChanged {\n    servicesChanged {\n      ...ServiceFields\n    }\n  }\n": typeof types.ServicesChangedDocument,
    "\n  mutation CreateService($input: ServiceInput!) {\n    createService(input: $input) {\n      ...ServiceFields\n    }\n  }\n": typeof types.CreateServiceDocument,
    "\n  mutation UpdateService($id: ID!, $input: ServiceInput!) {\n    updateService(id: $id, input: $input) {\n      ...ServiceFields\n    }\n  }\n": typeof types.UpdateServiceDocument,
    "\n  mutation SetServiceHidden($id: ID!, $hidden: Boolean!) {\n    setServiceHidden(id: $id, hidden: $hidden) {\n      ...ServiceFields\n    }\n  }\n": typeof types.SetServiceHiddenDocument,
    "\n  mutation MoveService($id: ID!, $direction: MoveDirection!) {\n    moveService(id: $id, direction: $direction) {\n      ...ServiceFields\n    }\n  }\n": typeof types.MoveServiceDocument,
    "\n  mutation DeleteService($id: ID!) {\n    deleteService(id: $id)\n  }\n": typeof types.DeleteServiceDocument,
    "\n  fragment BusinessSettingsFields on BusinessSettings {\n    name\n    about\n    phone\n    email\n    telegram\n    whatsapp\n    address\n    privacyPolicyText\n    privacyPolicyUrl\n    consentText\n    consentVersion\n    primaryColor\n    currency\n    logoUrl\n    logoUploaded\n    logoLink\n    updatedAt\n  }\n": typeof types.BusinessSettingsFieldsFragmentDoc,
    "\n  query BusinessSettings {\n    businessSettings {\n      ...BusinessSettingsFields\n    }\n  }\n": typeof types.BusinessSettingsDocument,
    "\n  mutation UpdateBusinessSettings($input: BusinessSettingsInput!) {\n    updateBusinessSettings(input: $input) {\n      ...BusinessSettingsFields\n    }\n  }\n": typeof types.UpdateBusinessSettingsDocument,
    "\n  query LeadStats {\n    leadStats {\n      total\n      byPriority {\n        priority\n        count\n        won\n        lost\n        winRate\n      }\n      byStatus {\n        status\n        count\n      }\n      medianFirstResponseSeconds\n    }\n  }\n": typeof types.LeadStatsDocument,
    "\n  query MetricStats($days: Int!) {\n    metricStats(days: $days) {\n      timeZone\n      summary {\n        days\n        visits\n        averageTimeOnPage\n        medianTimeOnPage\n      }\n      returningVisitorShare\n      conversionRate\n      series {\n        start\n        hours\n        visits\n        orders\n        averageEngagedSeconds\n      }\n      topClicks {\n        element\n        count\n      }\n      formFields {\n        field\n        focuses\n        averageSeconds\n        abandonments\n      }\n    }\n  }\n": typeof types.MetricStatsDocument,
    "\n  query Heatmap($days: Int!, $viewport: ViewportClass!) {\n    metricStats(days: $days) {\n      heatmap(viewport: $viewport) {\n        columns\n        rowHeight\n        maxCount\n        packedCells\n      }\n    }\n  }\n": typeof types.HeatmapDocument,
    "\n  query ElementLabels {\n    elementLabels {\n      kind\n      element\n      label\n    }\n  }\n": typeof types.ElementLabelsDocument,
    "\n  mutation SetElementLabel($input: ElementLabelInput!) {\n    setElementLabel(input: $input) {\n      kind\n      element\n      label\n    }\n  }\n": typeof types.SetElementLabelDocument,
};
const documents: Documents = {
    "\n  mutation ChangePassword($current: String!, $next: String!) {\n    changePassword(currentPassword: $current, newPassword: $next) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  query Admins {\n    me {\n      id\n    }\n    admins {\n      id\n      email\n      createdAt\n    }\n    invitations {\n      id\n      email\n      expiresAt\n    }\n  }\n": types.AdminsDocument,
    "\n  mutation InviteAdmin($email: String!) {\n    inviteAdmin(email: $email) {\n      code\n      invitation {\n        id\n        email\n        expiresAt\n      }\n    }\n  }\n": types.InviteAdminDocument,
    "\n  mutation RemoveAdmin($id: ID!) {\n    removeAdmin(id: $id)\n  }\n": types.RemoveAdminDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": types.RevokeInvitationDocument,
    "\n  query Invitation($code: String!) {\n    invitation(code: $code) {\n      email\n      expiresAt\n    }\n  }\n": types.InvitationDocument,
    "\n  mutation AcceptInvitation($code: String!, $password: String!) {\n    acceptInvitation(code: $code, password: $password) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  query UnreadLeadCount {\n    unreadLeadCount\n  }\n": types.UnreadLeadCountDocument,
    "\n  mutation RenewSession {\n    renewSession {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n": types.RenewSessionDocument,
    "\n  query AdminExists {\n    adminExists\n    setupCodeRequired\n  }\n": types.AdminExistsDocument,
    "\n  mutation Login($email: String!, $password: String!, $device: String) {\n    login(email: $email, password: $password, device: $device) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation RegisterAdmin($email: String!, $password: String!, $setupCode: String) {\n    registerAdmin(email: $email, password: $password, setupCode: $setupCode) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n": types.RegisterAdminDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  query Notifications($status: NotificationStatus) {\n    notificationChannels {\n      channel\n      configured\n      target\n    }\n    notificationDeliveries(first: 50, status: $status) {\n      id\n      channel\n      kind\n      status\n      leadId\n      attempts\n      lastError\n      lastErrorKind\n      nextAttemptAt\n      createdAt\n      sentAt\n    }\n  }\n": types.NotificationsDocument,
    "\n  mutation SendTestNotification($channel: NotificationChannelKind!) {\n    sendTestNotification(channel: $channel) {\n      id\n      status\n    }\n  }\n": types.SendTestNotificationDocument,
    "\n  mutation RetryNotification($id: ID!) {\n    retryNotification(id: $id) {\n      id\n      status\n      attempts\n    }\n  }\n": types.RetryNotificationDocument,
    "\n  subscription LeadCreated {\n    leadCreated {\n      ...LeadRow\n    }\n  }\n": types.LeadCreatedDocument,
    "\n  query LeadDetail($id: ID!) {\n    lead(id: $id) {\n      id\n      name\n      surname\n      patronymic\n      email\n      phone\n      serviceName\n      service {\n        id\n        name\n      }\n      businessInfo\n      businessNiche\n      companySize\n      budget\n      deadline\n      convenientTime\n      preferredContactMethod\n      additionalComments\n      score\n      priority\n      scoreBreakdown {\n        budget\n        companySize\n        urgency\n      }\n      scoreReasons {\n        budget {\n          ...Reason\n        }\n        companySize {\n          ...Reason\n        }\n        urgency {\n          ...Reason\n        }\n      }\n      requestNumber\n      unread\n      history {\n        id\n        fromStatus\n        toStatus\n        actorKind\n        actorName\n        at\n        lostReason\n      }\n      notes {\n        id\n        authorEmail\n        body\n        createdAt\n        editedAt\n      }\n      status\n      lostReason\n      firstResponseAt\n      consentAt\n      consentVersion\n      consentText\n      createdAt\n      behavior {\n        engagedSeconds\n        visitNumber\n        viewportClass\n        firstSeenAt\n        clicks {\n          element\n          count\n        }\n      }\n    }\n  }\n": types.LeadDetailDocument,
    "\n  fragment Reason on ScoreReason {\n    points\n    max\n    kind\n    text\n    amount\n    days\n  }\n": types.ReasonFragmentDoc,
    "\n  mutation MarkLeadOpened($id: ID!) {\n    markLeadOpened(id: $id) {\n      id\n      unread\n    }\n  }\n": types.MarkLeadOpenedDocument,
    "\n  mutation AddLeadNote($id: ID!, $body: String!) {\n    addLeadNote(id: $id, body: $body) {\n      authorEmail\n      body\n      createdAt\n    }\n  }\n": types.AddLeadNoteDocument,
    "\n  mutation EditLeadNote($id: ID!, $body: String!) {\n    editLeadNote(id: $id, body: $body) {\n      id\n      body\n      editedAt\n    }\n  }\n": types.EditLeadNoteDocument,
    "\n  mutation DeleteLeadNote($id: ID!) {\n    deleteLeadNote(id: $id)\n  }\n": types.DeleteLeadNoteDocument,
    "\n  mutation MarkLeadSpam($id: ID!, $spam: Boolean!) {\n    markLeadSpam(id: $id, spam: $spam) {\n      id\n      status\n    }\n  }\n": types.MarkLeadSpamDocument,
    "\n  mutation DeleteLead($id: ID!) {\n    deleteLead(id: $id)\n  }\n": types.DeleteLeadDocument,
    "\n  mutation UpdateLeadStatus(\n    $id: ID!\n    $status: LeadStatus!\n    $lostReason: String\n    $expectedStatus: LeadStatus\n    $expectedLostReason: String\n  ) {\n    updateLeadStatus(\n      id: $id\n      status: $status\n      lostReason: $lostReason\n      expectedStatus: $expectedStatus\n      expectedLostReason: $expectedLostReason\n    ) {\n      id\n      status\n      lostReason\n      firstResponseAt\n    }\n  }\n": types.UpdateLeadStatusDocument,
    "\n  query Leads(\n    $first: Int!\n    $after: String\n    $filter: LeadFilter\n    $sort: LeadSortField\n    $direction: SortDirection\n  ) {\n    leads(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {\n      totalCount\n      totalCountIsExact\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...LeadRow\n        }\n      }\n    }\n  }\n": types.LeadsDocument,
    "\n  query ServiceOptions {\n    services(includeHidden: true) {\n      id\n      name\n      hidden\n    }\n  }\n": types.ServiceOptionsDocument,
    "\n  fragment LeadRow on Lead {\n    id\n    name\n    surname\n    patronymic\n    unread\n    score\n    priority\n    status\n    budget\n    deadline\n    serviceName\n    service {\n      id\n      name\n    }\n    createdAt\n  }\n": types.LeadRowFragmentDoc,
    "\n  fragment ServiceFields on Service {\n    id\n    name\n    description\n    priceFrom\n    hidden\n    createdAt\n    updatedAt\n  }\n": types.ServiceFieldsFragmentDoc,
    "\n  query Services {\n    services(includeHidden: true) {\n      ...ServiceFields\n    }\n  }\n": types.ServicesDocument,
    "\n  query ServicesCurrency {\n    businessSettings {\n      currency\n    }\n  }\n": types.ServicesCurrencyDocument,
    "\n  subscription ServicesChanged {\n    servicesChanged {\n      ...ServiceFields\n    }\n  }\n": types.ServicesChangedDocument,
    "\n  mutation CreateService($input: ServiceInput!) {\n    createService(input: $input) {\n      ...ServiceFields\n    }\n  }\n": types.CreateServiceDocument,
    "\n  mutation UpdateService($id: ID!, $input: ServiceInput!) {\n    updateService(id: $id, input: $input) {\n      ...ServiceFields\n    }\n  }\n": types.UpdateServiceDocument,
    "\n  mutation SetServiceHidden($id: ID!, $hidden: Boolean!) {\n    setServiceHidden(id: $id, hidden: $hidden) {\n      ...ServiceFields\n    }\n  }\n": types.SetServiceHiddenDocument,
    "\n  mutation MoveService($id: ID!, $direction: MoveDirection!) {\n    moveService(id: $id, direction: $direction) {\n      ...ServiceFields\n    }\n  }\n": types.MoveServiceDocument,
    "\n  mutation DeleteService($id: ID!) {\n    deleteService(id: $id)\n  }\n": types.DeleteServiceDocument,
    "\n  fragment BusinessSettingsFields on BusinessSettings {\n    name\n    about\n    phone\n    email\n    telegram\n    whatsapp\n    address\n    privacyPolicyText\n    privacyPolicyUrl\n    consentText\n    consentVersion\n    primaryColor\n    currency\n    logoUrl\n    logoUploaded\n    logoLink\n    updatedAt\n  }\n": types.BusinessSettingsFieldsFragmentDoc,
    "\n  query BusinessSettings {\n    businessSettings {\n      ...BusinessSettingsFields\n    }\n  }\n": types.BusinessSettingsDocument,
    "\n  mutation UpdateBusinessSettings($input: BusinessSettingsInput!) {\n    updateBusinessSettings(input: $input) {\n      ...BusinessSettingsFields\n    }\n  }\n": types.UpdateBusinessSettingsDocument,
    "\n  query LeadStats {\n    leadStats {\n      total\n      byPriority {\n        priority\n        count\n        won\n        lost\n        winRate\n      }\n      byStatus {\n        status\n        count\n      }\n      medianFirstResponseSeconds\n    }\n  }\n": types.LeadStatsDocument,
    "\n  query MetricStats($days: Int!) {\n    metricStats(days: $days) {\n      timeZone\n      summary {\n        days\n        visits\n        averageTimeOnPage\n        medianTimeOnPage\n      }\n      returningVisitorShare\n      conversionRate\n      series {\n        start\n        hours\n        visits\n        orders\n        averageEngagedSeconds\n      }\n      topClicks {\n        element\n        count\n      }\n      formFields {\n        field\n        focuses\n        averageSeconds\n        abandonments\n      }\n    }\n  }\n": types.MetricStatsDocument,
    "\n  query Heatmap($days: Int!, $viewport: ViewportClass!) {\n    metricStats(days: $days) {\n      heatmap(viewport: $viewport) {\n        columns\n        rowHeight\n        maxCount\n        packedCells\n      }\n    }\n  }\n": types.HeatmapDocument,
    "\n  query ElementLabels {\n    elementLabels {\n      kind\n      element\n      label\n    }\n  }\n": types.ElementLabelsDocument,
    "\n  mutation SetElementLabel($input: ElementLabelInput!) {\n    setElementLabel(input: $input) {\n      kind\n      element\n      label\n    }\n  }\n": types.SetElementLabelDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($current: String!, $next: String!) {\n    changePassword(currentPassword: $current, newPassword: $next) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($current: String!, $next: String!) {\n    changePassword(currentPassword: $current, newPassword: $next) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Admins {\n    me {\n      id\n    }\n    admins {\n      id\n      email\n      createdAt\n    }\n    invitations {\n      id\n      email\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query Admins {\n    me {\n      id\n    }\n    admins {\n      id\n      email\n      createdAt\n    }\n    invitations {\n      id\n      email\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteAdmin($email: String!) {\n    inviteAdmin(email: $email) {\n      code\n      invitation {\n        id\n        email\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteAdmin($email: String!) {\n    inviteAdmin(email: $email) {\n      code\n      invitation {\n        id\n        email\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveAdmin($id: ID!) {\n    removeAdmin(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemoveAdmin($id: ID!) {\n    removeAdmin(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invitation($code: String!) {\n    invitation(code: $code) {\n      email\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query Invitation($code: String!) {\n    invitation(code: $code) {\n      email\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($code: String!, $password: String!) {\n    acceptInvitation(code: $code, password: $password) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($code: String!, $password: String!) {\n    acceptInvitation(code: $code, password: $password) {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadLeadCount {\n    unreadLeadCount\n  }\n"): (typeof documents)["\n  query UnreadLeadCount {\n    unreadLeadCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenewSession {\n    renewSession {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RenewSession {\n    renewSession {\n      token\n      expiresAt\n      admin {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminExists {\n    adminExists\n    setupCodeRequired\n  }\n"): (typeof documents)["\n  query AdminExists {\n    adminExists\n    setupCodeRequired\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!, $device: String) {\n    login(email: $email, password: $password, device: $device) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!, $device: String) {\n    login(email: $email, password: $password, device: $device) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterAdmin($email: String!, $password: String!, $setupCode: String) {\n    registerAdmin(email: $email, password: $password, setupCode: $setupCode) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterAdmin($email: String!, $password: String!, $setupCode: String) {\n    registerAdmin(email: $email, password: $password, setupCode: $setupCode) {\n      token\n      expiresAt\n      deviceToken\n      admin {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notifications($status: NotificationStatus) {\n    notificationChannels {\n      channel\n      configured\n      target\n    }\n    notificationDeliveries(first: 50, status: $status) {\n      id\n      channel\n      kind\n      status\n      leadId\n      attempts\n      lastError\n      lastErrorKind\n      nextAttemptAt\n      createdAt\n      sentAt\n    }\n  }\n"): (typeof documents)["\n  query Notifications($status: NotificationStatus) {\n    notificationChannels {\n      channel\n      configured\n      target\n    }\n    notificationDeliveries(first: 50, status: $status) {\n      id\n      channel\n      kind\n      status\n      leadId\n      attempts\n      lastError\n      lastErrorKind\n      nextAttemptAt\n      createdAt\n      sentAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestNotification($channel: NotificationChannelKind!) {\n    sendTestNotification(channel: $channel) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SendTestNotification($channel: NotificationChannelKind!) {\n    sendTestNotification(channel: $channel) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryNotification($id: ID!) {\n    retryNotification(id: $id) {\n      id\n      status\n      attempts\n    }\n  }\n"): (typeof documents)["\n  mutation RetryNotification($id: ID!) {\n    retryNotification(id: $id) {\n      id\n      status\n      attempts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LeadCreated {\n    leadCreated {\n      ...LeadRow\n    }\n  }\n"): (typeof documents)["\n  subscription LeadCreated {\n    leadCreated {\n      ...LeadRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LeadDetail($id: ID!) {\n    lead(id: $id) {\n      id\n      name\n      surname\n      patronymic\n      email\n      phone\n      serviceName\n      service {\n        id\n        name\n      }\n      businessInfo\n      businessNiche\n      companySize\n      budget\n      deadline\n      convenientTime\n      preferredContactMethod\n      additionalComments\n      score\n      priority\n      scoreBreakdown {\n        budget\n        companySize\n        urgency\n      }\n      scoreReasons {\n        budget {\n          ...Reason\n        }\n        companySize {\n          ...Reason\n        }\n        urgency {\n          ...Reason\n        }\n      }\n      requestNumber\n      unread\n      history {\n        id\n        fromStatus\n        toStatus\n        actorKind\n        actorName\n        at\n        lostReason\n      }\n      notes {\n        id\n        authorEmail\n        body\n        createdAt\n        editedAt\n      }\n      status\n      lostReason\n      firstResponseAt\n      consentAt\n      consentVersion\n      consentText\n      createdAt\n      behavior {\n        engagedSeconds\n        visitNumber\n        viewportClass\n        firstSeenAt\n        clicks {\n          element\n          count\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LeadDetail($id: ID!) {\n    lead(id: $id) {\n      id\n      name\n      surname\n      patronymic\n      email\n      phone\n      serviceName\n      service {\n        id\n        name\n      }\n      businessInfo\n      businessNiche\n      companySize\n      budget\n      deadline\n      convenientTime\n      preferredContactMethod\n      additionalComments\n      score\n      priority\n      scoreBreakdown {\n        budget\n        companySize\n        urgency\n      }\n      scoreReasons {\n        budget {\n          ...Reason\n        }\n        companySize {\n          ...Reason\n        }\n        urgency {\n          ...Reason\n        }\n      }\n      requestNumber\n      unread\n      history {\n        id\n        fromStatus\n        toStatus\n        actorKind\n        actorName\n        at\n        lostReason\n      }\n      notes {\n        id\n        authorEmail\n        body\n        createdAt\n        editedAt\n      }\n      status\n      lostReason\n      firstResponseAt\n      consentAt\n      consentVersion\n      consentText\n      createdAt\n      behavior {\n        engagedSeconds\n        visitNumber\n        viewportClass\n        firstSeenAt\n        clicks {\n          element\n          count\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Reason on ScoreReason {\n    points\n    max\n    kind\n    text\n    amount\n    days\n  }\n"): (typeof documents)["\n  fragment Reason on ScoreReason {\n    points\n    max\n    kind\n    text\n    amount\n    days\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkLeadOpened($id: ID!) {\n    markLeadOpened(id: $id) {\n      id\n      unread\n    }\n  }\n"): (typeof documents)["\n  mutation MarkLeadOpened($id: ID!) {\n    markLeadOpened(id: $id) {\n      id\n      unread\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddLeadNote($id: ID!, $body: String!) {\n    addLeadNote(id: $id, body: $body) {\n      authorEmail\n      body\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation AddLeadNote($id: ID!, $body: String!) {\n    addLeadNote(id: $id, body: $body) {\n      authorEmail\n      body\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EditLeadNote($id: ID!, $body: String!) {\n    editLeadNote(id: $id, body: $body) {\n      id\n      body\n      editedAt\n    }\n  }\n"): (typeof documents)["\n  mutation EditLeadNote($id: ID!, $body: String!) {\n    editLeadNote(id: $id, body: $body) {\n      id\n      body\n      editedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteLeadNote($id: ID!) {\n    deleteLeadNote(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteLeadNote($id: ID!) {\n    deleteLeadNote(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkLeadSpam($id: ID!, $spam: Boolean!) {\n    markLeadSpam(id: $id, spam: $spam) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation MarkLeadSpam($id: ID!, $spam: Boolean!) {\n    markLeadSpam(id: $id, spam: $spam) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteLead($id: ID!) {\n    deleteLead(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteLead($id: ID!) {\n    deleteLead(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateLeadStatus(\n    $id: ID!\n    $status: LeadStatus!\n    $lostReason: String\n    $expectedStatus: LeadStatus\n    $expectedLostReason: String\n  ) {\n    updateLeadStatus(\n      id: $id\n      status: $status\n      lostReason: $lostReason\n      expectedStatus: $expectedStatus\n      expectedLostReason: $expectedLostReason\n    ) {\n      id\n      status\n      lostReason\n      firstResponseAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateLeadStatus(\n    $id: ID!\n    $status: LeadStatus!\n    $lostReason: String\n    $expectedStatus: LeadStatus\n    $expectedLostReason: String\n  ) {\n    updateLeadStatus(\n      id: $id\n      status: $status\n      lostReason: $lostReason\n      expectedStatus: $expectedStatus\n      expectedLostReason: $expectedLostReason\n    ) {\n      id\n      status\n      lostReason\n      firstResponseAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Leads(\n    $first: Int!\n    $after: String\n    $filter: LeadFilter\n    $sort: LeadSortField\n    $direction: SortDirection\n  ) {\n    leads(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {\n      totalCount\n      totalCountIsExact\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...LeadRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Leads(\n    $first: Int!\n    $after: String\n    $filter: LeadFilter\n    $sort: LeadSortField\n    $direction: SortDirection\n  ) {\n    leads(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {\n      totalCount\n      totalCountIsExact\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...LeadRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceOptions {\n    services(includeHidden: true) {\n      id\n      name\n      hidden\n    }\n  }\n"): (typeof documents)["\n  query ServiceOptions {\n    services(includeHidden: true) {\n      id\n      name\n      hidden\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LeadRow on Lead {\n    id\n    name\n    surname\n    patronymic\n    unread\n    score\n    priority\n    status\n    budget\n    deadline\n    serviceName\n    service {\n      id\n      name\n    }\n    createdAt\n  }\n"): (typeof documents)["\n  fragment LeadRow on Lead {\n    id\n    name\n    surname\n    patronymic\n    unread\n    score\n    priority\n    status\n    budget\n    deadline\n    serviceName\n    service {\n      id\n      name\n    }\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ServiceFields on Service {\n    id\n    name\n    description\n    priceFrom\n    hidden\n    createdAt\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment ServiceFields on Service {\n    id\n    name\n    description\n    priceFrom\n    hidden\n    createdAt\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Services {\n    services(includeHidden: true) {\n      ...ServiceFields\n    }\n  }\n"): (typeof documents)["\n  query Services {\n    services(includeHidden: true) {\n      ...ServiceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServicesCurrency {\n    businessSettings {\n      currency\n    }\n  }\n"): (typeof documents)["\n  query ServicesCurrency {\n    businessSettings {\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ServicesChanged {\n    servicesChanged {\n      ...ServiceFields\n    }\n  }\n"): (typeof documents)["\n  subscription ServicesChanged {\n    servicesChanged {\n      ...ServiceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateService($input: ServiceInput!) {\n    createService(input: $input) {\n      ...ServiceFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateService($input: ServiceInput!) {\n    createService(input: $input) {\n      ...ServiceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateService($id: ID!, $input: ServiceInput!) {\n    updateService(id: $id, input: $input) {\n      ...ServiceFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateService($id: ID!, $input: ServiceInput!) {\n    updateService(id: $id, input: $input) {\n      ...ServiceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetServiceHidden($id: ID!, $hidden: Boolean!) {\n    setServiceHidden(id: $id, hidden: $hidden) {\n      ...ServiceFields\n    }\n  }\n"): (typeof documents)["\n  mutation SetServiceHidden($id: ID!, $hidden: Boolean!) {\n    setServiceHidden(id: $id, hidden: $hidden) {\n      ...ServiceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MoveService($id: ID!, $direction: MoveDirection!) {\n    moveService(id: $id, direction: $direction) {\n      ...ServiceFields\n    }\n  }\n"): (typeof documents)["\n  mutation MoveService($id: ID!, $direction: MoveDirection!) {\n    moveService(id: $id, direction: $direction) {\n      ...ServiceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteService($id: ID!) {\n    deleteService(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteService($id: ID!) {\n    deleteService(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BusinessSettingsFields on BusinessSettings {\n    name\n    about\n    phone\n    email\n    telegram\n    whatsapp\n    address\n    privacyPolicyText\n    privacyPolicyUrl\n    consentText\n    consentVersion\n    primaryColor\n    currency\n    logoUrl\n    logoUploaded\n    logoLink\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment BusinessSettingsFields on BusinessSettings {\n    name\n    about\n    phone\n    email\n    telegram\n    whatsapp\n    address\n    privacyPolicyText\n    privacyPolicyUrl\n    consentText\n    consentVersion\n    primaryColor\n    currency\n    logoUrl\n    logoUploaded\n    logoLink\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BusinessSettings {\n    businessSettings {\n      ...BusinessSettingsFields\n    }\n  }\n"): (typeof documents)["\n  query BusinessSettings {\n    businessSettings {\n      ...BusinessSettingsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateBusinessSettings($input: BusinessSettingsInput!) {\n    updateBusinessSettings(input: $input) {\n      ...BusinessSettingsFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateBusinessSettings($input: BusinessSettingsInput!) {\n    updateBusinessSettings(input: $input) {\n      ...BusinessSettingsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LeadStats {\n    leadStats {\n      total\n      byPriority {\n        priority\n        count\n        won\n        lost\n        winRate\n      }\n      byStatus {\n        status\n        count\n      }\n      medianFirstResponseSeconds\n    }\n  }\n"): (typeof documents)["\n  query LeadStats {\n    leadStats {\n      total\n      byPriority {\n        priority\n        count\n        won\n        lost\n        winRate\n      }\n      byStatus {\n        status\n        count\n      }\n      medianFirstResponseSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MetricStats($days: Int!) {\n    metricStats(days: $days) {\n      timeZone\n      summary {\n        days\n        visits\n        averageTimeOnPage\n        medianTimeOnPage\n      }\n      returningVisitorShare\n      conversionRate\n      series {\n        start\n        hours\n        visits\n        orders\n        averageEngagedSeconds\n      }\n      topClicks {\n        element\n        count\n      }\n      formFields {\n        field\n        focuses\n        averageSeconds\n        abandonments\n      }\n    }\n  }\n"): (typeof documents)["\n  query MetricStats($days: Int!) {\n    metricStats(days: $days) {\n      timeZone\n      summary {\n        days\n        visits\n        averageTimeOnPage\n        medianTimeOnPage\n      }\n      returningVisitorShare\n      conversionRate\n      series {\n        start\n        hours\n        visits\n        orders\n        averageEngagedSeconds\n      }\n      topClicks {\n        element\n        count\n      }\n      formFields {\n        field\n        focuses\n        averageSeconds\n        abandonments\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Heatmap($days: Int!, $viewport: ViewportClass!) {\n    metricStats(days: $days) {\n      heatmap(viewport: $viewport) {\n        columns\n        rowHeight\n        maxCount\n        packedCells\n      }\n    }\n  }\n"): (typeof documents)["\n  query Heatmap($days: Int!, $viewport: ViewportClass!) {\n    metricStats(days: $days) {\n      heatmap(viewport: $viewport) {\n        columns\n        rowHeight\n        maxCount\n        packedCells\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ElementLabels {\n    elementLabels {\n      kind\n      element\n      label\n    }\n  }\n"): (typeof documents)["\n  query ElementLabels {\n    elementLabels {\n      kind\n      element\n      label\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetElementLabel($input: ElementLabelInput!) {\n    setElementLabel(input: $input) {\n      kind\n      element\n      label\n    }\n  }\n"): (typeof documents)["\n  mutation SetElementLabel($input: ElementLabelInput!) {\n    setElementLabel(input: $input) {\n      kind\n      element\n      label\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;